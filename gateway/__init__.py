"""The HTTP gateway: phones, the hotline's system and Open311 clients reach the backend here.

It talks to the backend over the wire only (client.request), as the `gateway` user for the
residents' and the hotline's reports and as each field user who signs in for theirs: the
backend, not the gateway, decides what each may see and do.
"""
