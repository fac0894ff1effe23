"""Reminders to the departments by e-mail, and their answers back in.

- :mod:`store.mail.record`: what was reminded, when and to whom, kept in the motion's document and history.
- :mod:`store.mail.remind`: which items are due, one message per department, sending over SMTP.
- :mod:`store.mail.answers`: a department's filled-in list read back, conflicts shown rather than applied.

Loaded lazily by the front ends (``store.PUBLIC_MODULES``): smtplib and the e-mail package are needed only here.
"""
