"""Issue 13 case 10: one running shipdesk per data folder; a second launch brings the first window forward."""

from __future__ import annotations

from shipdesk.ui.single_instance import SingleInstance, ask_running_copy_to_show


def test_a_second_launch_on_the_same_folder_brings_the_first_forward(qtbot, tmp_path):
    asked: list[str] = []
    first = SingleInstance(tmp_path / "data", lambda: asked.append("show"))
    try:
        assert ask_running_copy_to_show(tmp_path / "data")  # the second launch finds the first and exits
        qtbot.waitUntil(lambda: asked == ["show"], timeout=5000)
        assert not ask_running_copy_to_show(tmp_path / "other data")  # another folder starts its own copy
    finally:
        first.close()
    assert not ask_running_copy_to_show(tmp_path / "data")  # the first one closed: the next launch starts


def test_a_socket_left_by_a_crashed_launch_does_not_stop_the_next_one(qtbot, tmp_path):
    crashed = SingleInstance(tmp_path, lambda: None)
    crashed.server.close()  # as after a crash: nobody answers any more
    asked: list[str] = []
    second = SingleInstance(tmp_path, lambda: asked.append("show"))
    try:
        assert second.server.isListening()
        assert ask_running_copy_to_show(tmp_path)
        qtbot.waitUntil(lambda: asked == ["show"], timeout=5000)
    finally:
        second.close()
