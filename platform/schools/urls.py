from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("mine/", views.my_school, name="my_school"),
    path("studio/", views.my_studio, name="my_studio"),
]
