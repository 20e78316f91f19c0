"""Every Slack identifier the app uses (action_id, callback_id, block_id) and its fixed words."""

from __future__ import annotations

import re

COMMAND = "/rhrt"

# ---- action_ids (buttons and selects) ------------------------------------------------------
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
SHARE_ANSWER = "share_answer"
OPEN_ENTRY = "open_entry"  # "Did you mean" and guide buttons; value = entry id
OPEN_ENTRY_PATTERN = re.compile(r"^open_entry(?:_\d+)?$")  # unique per button in a block
OPEN_AGENCY_PICKER = "open_agency_picker"
OPEN_LEVEL_MODAL = "open_level_modal"
HOME_AREA = "home_area"  # a level's "indicators by area" select on the Home tab
HOME_BACK = "home_back"
# A guided question's Yes / No (when two levels are close); value = "<query id>|<question
# id>|y" or "…|n": never the question or the situation described.
GUIDED_YES = "guided_yes"
GUIDED_NO = "guided_no"
# "Ask a safeguarding adviser" (value = query id), and in the advisers' channel: Reply
# (value = "<escalation id>|<sealed route>") and Mark resolved (value = escalation id).
ESCALATE = "escalate"
# Admin Home: write a gap as a draft entry; value = {"f", "t", "r", "l"} (period, rank, label)
DRAFT_ENTRY = "draft_entry"
DRAFT_ENTRY_PATTERN = re.compile(r"^draft_entry_\d+$")
ESCALATION_REPLY = "escalation_reply"
ESCALATION_RESOLVE = "escalation_resolve"
# "More": the whole answer behind its first screen; value = "<answer key>|<entry id>" (the
# key is the query id, or a random token for an unlogged answer): never anything typed.
MORE = "more_answer"

# ---- callback_ids (modals and shortcuts) ---------------------------------------------------
WHAT_LEVEL_SHORTCUT = "what_level"
FEEDBACK_MODAL = "feedback_modal"
AGENCY_MODAL = "agency_modal"
LEVEL_MODAL = "level_modal"
ESCALATE_MODAL = "escalate_modal"
ESCALATION_REPLY_MODAL = "escalation_reply_modal"

# ---- block_ids and action_ids inside modals ------------------------------------------------
FEEDBACK_BLOCK = "feedback"
AGENCY_OFFER_BLOCK = "agency_offer"
GUIDED_BLOCK = "guided"  # the line above the guided questions; their rows are "guided_<n>"
MORE_BLOCK = "more"
LEAD_BLOCK = "lead"
REASON_BLOCK, REASON_ACTION = "reason", "reason_choice"
COMMENT_BLOCK, COMMENT_ACTION = "comment", "comment_text"
AGENCY_BLOCK, AGENCY_ACTION = "agency", "agency_choice"
AGE_BLOCK, AGE_ACTION = "age", "age_band"
AREAS_BLOCK, AREAS_ACTION = "areas", "concern_areas"
DESCRIPTION_BLOCK, DESCRIPTION_ACTION = "description", "description_text"
ESCALATE_BLOCK = "escalate"  # the button row under an answer
NOTE_BLOCK, NOTE_ACTION = "escalate_note", "escalate_note_text"
SHARE_NAME_BLOCK, SHARE_NAME_ACTION = "escalate_name", "escalate_share_name"
REPLY_BLOCK, REPLY_ACTION = "adviser_reply", "adviser_reply_text"

# 👎 reasons: (value stored in the feedback table, label shown).
FEEDBACK_REASONS = (
    ("wrong", "Wrong level or answer"),
    ("out_of_date", "Out of date"),
    ("unclear", "Unclear"),
    ("not_my_area", "Not my area"),
    ("other", "Other"),
)

# Age bands for "What level is this?": (value, label, words added to the description).
AGE_BANDS = (
    ("unborn", "Unborn (pregnancy)", "unborn baby, parent pregnant"),
    ("under-1", "Under 1", "baby under 1 year old"),
    ("1-4", "1 to 4", "child aged 1 to 4"),
    ("5-10", "5 to 10", "child aged 5 to 10"),
    ("11-15", "11 to 15", "young person aged 11 to 15"),
    ("16-17", "16 to 17", "young person aged 16 to 17"),
)

# ---- words -----------------------------------------------------------------------------------
SORRY = (
    "Sorry, something went wrong on my side. If a child is at immediate risk call 999; "
    "otherwise talk to your DSL or ring the MASH."
)
RATE_LIMITED = (
    "You've asked a lot of questions in the last minute — please wait a moment "
    "and try again. If a child is at immediate risk call 999."
)
REDACTION_NOTE = (
    "I left identifying details out of what I keep. Please don't include names "
    "or other details that could identify a child or family."
)
AGENCY_OFFER = (
    "First time here? Tell me which organisation you work for — it helps the "
    "partnership plan training. It's optional and never blocks an answer."
)
GUIDED_EXPIRED = (
    "Sorry — I no longer have that question to hand (I keep it for 30 minutes only). "
    "Please ask again and answer the questions that come with the new answer."
)
GUIDED_NOT_YOURS = (
    "These questions are for the person who asked. To refine a level for a situation "
    "you know, ask me yourself."
)
MORE_EXPIRED = (
    "Sorry — I no longer have that answer to hand (I keep it for 30 minutes only). "
    "Please ask again."
)
MORE_ENTRY = "The full answer is no longer kept, so here is the full entry it came from."
NO_LOG = "Sorry, I can't save that right now — the query log isn't available."
ADMIN_ONLY = (
    "Sorry — that command is for the partnership's board-office admins. If you need a "
    "report or a change to the knowledge pack, ask the board office."
)
REPORT_NO_LOG = (
    "Sorry — the query log isn't available right now, so I can't build a report. "
    "Check the bot's log file (`db_path`) on the server."
)
REPORT_BUSY = "A report is already being built — please try again in a minute."
REPORT_ASK_HINT = (
    "(To ask me a question that starts with “report”, put it another way, e.g. "
    "`/rhrt how do I report a concern`.)"
)
ESCALATE_REMINDER = (
    "This is for questions about practice. If you're worried about a particular child, "
    "talk to your DSL or contact the MASH now — don't wait for a reply here. If a child "
    "is at immediate risk, call 999."
)
ESCALATE_NOT_YOURS = (
    "Only the person who asked can send this question to an adviser. Ask me yourself and "
    "use the button under your answer."
)
ESCALATE_GONE = (
    "Sorry — I no longer have that question (it may have been removed under the retention "
    "rules). Please ask again and use the button under the new answer."
)
ESCALATE_FAILED = (
    "Sorry — I couldn't reach the safeguarding advisers just now, so your question was not "
    "sent. Please try again later. If you're worried about a child, talk to your DSL or "
    "contact the MASH now."
)
