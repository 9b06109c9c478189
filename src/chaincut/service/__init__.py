"""The chaincut service: a versioned JSON API (`/v1`) and the analyst console.

from chaincut.service import create_app, seed_demo_users
"""

from chaincut.service.app import create_app
from chaincut.service.demo import DemoUser, seed_demo_users

__all__ = ["DemoUser", "create_app", "seed_demo_users"]
