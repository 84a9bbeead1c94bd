"""Celery tasks: thin, idempotent wrappers around pairing services."""

from celery import shared_task

from .services import matching_run_execute, pairings_advance


@shared_task(soft_time_limit=10 * 60, time_limit=12 * 60)
def matching_run_execute_task(run_id: int) -> str:
    """Run the matching engine for a run (a run already done is left alone)."""
    return matching_run_execute(run_id=run_id).status


@shared_task
def pairings_advance_task() -> dict:
    """Daily: start pairings whose cycle began, end those whose cycle is over."""
    return pairings_advance()
