"""Build hook only (the project is described in pyproject.toml): the wheel carries ``resources/``.

The canonical files stay in the top-level ``resources/`` folder (the vendored specs unchanged, beside
their LICENSE and SOURCE files). Building copies that folder into the package as ``shipdesk/_resources``,
so an installed wheel has its icons and specs (demo mode, the sandboxes); ``shipdesk.resources`` looks
there first and falls back to the checkout. An editable install copies nothing: it reads the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "shipdesk" / "_resources"
        shutil.rmtree(target, ignore_errors=True)  # a stale build/ must not keep files deleted since
        shutil.copytree(RESOURCES, target)


setup(cmdclass={"build_py": BuildPyWithResources})
