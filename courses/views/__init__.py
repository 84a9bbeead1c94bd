"""The site's training pages (teachers, mentors, school admins)."""
