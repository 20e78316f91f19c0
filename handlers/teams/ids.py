"""Every identifier the Teams cards and dialogs use (Action.Execute verbs, input ids, dialog
ids). A verb's data carries ids only (a query id, an entry id), never anything typed."""

from __future__ import annotations

# ---- Action.Execute verbs (adaptiveCard/action invokes) ---------------------------------------
FEEDBACK_UP = "feedback_up"  # data: {"q": query id}
FEEDBACK_DOWN = "feedback_down"  # data: {"q": query id}; inputs: reason, comment
OPEN_ENTRY = "open_entry"  # "Did you mean" and guide buttons; data: {"entry": entry id}
SET_AGENCY = "set_agency"  # inputs: agency

# ---- dialogs (task modules) -------------------------------------------------------------------
LEVEL_DIALOG = "level"  # "What level is this?"

# ---- input ids ----------------------------------------------------------------------------------
REASON, COMMENT = "reason", "comment"
AGENCY = "agency"
AGE, AREAS, DESCRIPTION = "age", "areas", "description"
COMMENT_LIMIT = 1000
DESCRIPTION_LIMIT = 2000

# ---- element ids ---------------------------------------------------------------------------------
FEEDBACK_ROW = "feedback"
