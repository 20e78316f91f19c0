"""Microsoft Teams: the same assistant, through the Teams SDK for Python (see docs/teams.md).

`app` builds the SDK's App and registers the handlers (`messages`, `actions`); `cards` is the
one renderer from an Answer to an Adaptive Card, `forms` the dialogs and pickers; `identity`
turns an activity into an asker and a question; `server` is the HTTP front door; `serve`
is `python -m bot serve --teams`; `package` builds the app package for upload.
"""

import warnings

# Notices about SDK features this app does not use (HTML widgets, the bot sign-in client).
warnings.filterwarnings("ignore", message="HtmlWidgetSecurityPolicy is in preview")
warnings.filterwarnings("ignore", message="The bot client is deprecated")
