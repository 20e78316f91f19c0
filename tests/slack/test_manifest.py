"""manifest.yaml matches what the app registers, and asks only for the scopes it uses."""

import yaml

from handlers import constants as c
from tests.conftest import ROOT

MANIFEST = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))


def test_manifest_declares_the_command_shortcut_and_events_the_app_handles(slack):
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert [s["command"] for s in features["slash_commands"]] == [c.COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("global", c.WHAT_LEVEL_SHORTCUT)
    ]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "message.im",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    registered = {
        name
        for listener in slack.app._listeners
        for function in [listener.ack_function, *listener.lazy_functions]
        for name in [getattr(function, "__name__", "")]
    }
    assert {
        "handle_message",
        "handle_app_mention",
        "handle_app_home_opened",
        "handle_rhrt_command",
        "handle_what_level_shortcut",
    } <= registered


def test_manifest_asks_only_for_the_scopes_it_uses():
    assert MANIFEST["oauth_config"]["scopes"]["bot"] == [
        "commands",
        "chat:write",
        "im:history",
        "app_mentions:read",
        "im:write",
        "files:write",
    ]


def test_the_fake_slack_refuses_what_the_manifest_does_not_grant(fake):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    refused = {}
    for method, kwargs in (
        ("conversations_replies", {"channel": "D0ALICE", "ts": "1.0"}),  # never declared
        ("users_info", {"user": "U0ALICE"}),  # users:read is commented out in the manifest
    ):
        try:
            getattr(client, method)(**kwargs)
        except SlackApiError as exc:
            refused[method] = exc.response["error"]
    assert refused == {"conversations_replies": "unknown_method", "users_info": "missing_scope"}
    assert fake.refused == [
        ("conversations.replies", "unknown_method"),
        ("users.info", "missing_scope"),
    ]
    fake.refused.clear()  # provoked on purpose: the fixture would fail the test otherwise
