"""Gate: who is asking. Accounts, passwords and API tokens (`gate.accounts`), the
role rules of who sees what (`gate.access`), and first-start help (`gate.bootstrap`)."""

from .access import ROLES, can_see_conversation, can_see_user

__all__ = ["ROLES", "can_see_conversation", "can_see_user"]
