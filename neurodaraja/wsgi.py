import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neurodaraja.settings")
application = get_wsgi_application()
# Refuse to serve with a bad configuration (gunicorn does not run system checks itself).
call_command("check")
