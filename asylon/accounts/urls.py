"""Account pages of our own, beside allauth's under /accounts/."""

from django.urls import path

from asylon.accounts import token_views, views

urlpatterns = [
    path("security/", views.security, name="account_security"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere, name="account_sign_out_everywhere"),
    *token_views.urlpatterns,  # api-tokens/
]
