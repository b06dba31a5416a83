# expect: none
from django.urls import path

from . import views

urlpatterns = [path("reports/<int:year>/", views.report, name="report")]
