"""Talking to triple stores over HTTP: the Graph Store Protocol push and the endpoint client's safeguards."""
