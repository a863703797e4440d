"""The package list, which pyproject.toml cannot give: it depends on which folders are present.

A checkout ships slackapp with the fake Slack (fakeslack/) and the playground (kindly_playground/); the
container image builds from slackapp/, templates/ and migrations/ alone (deploy/Dockerfile), where those
two are simply not found. pyproject.toml has either a fixed list (which fails on a missing folder) or
`packages.find` (which cannot name the packages [tool.setuptools.package-dir] maps to top-level folders).
It also compiles the translation catalogues (templates/locale/*/LC_MESSAGES/*.po) into the .mo files
the app reads, so every install, editable or not, has them with no manual step. Everything else about
the build is in pyproject.toml.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

SHIPPED = ["slackapp", "fakeslack", "kindly_playground"]  # each with its subpackages, where present
# Their folders sit at the top of the repository; [tool.setuptools.package-dir] maps them into slackapp.
MAPPED = ["slackapp.templates", "slackapp.migrations", "slackapp.migrations.versions", "slackapp.appmanifest"]
MANIFEST_PACKAGE = "slackapp.appmanifest"
CATALOGUES = Path("templates/locale")  # shipped as slackapp/templates/locale


class BuildPy(build_py):
    """The manifest's package is the repository root: only manifest.yml ships from it, not this file.
    Translation catalogues are compiled next to where the package is read from."""

    def run(self) -> None:
        super().run()
        if CATALOGUES.is_dir():
            # An editable install reads templates/ in place; a wheel reads its own build folder.
            target = CATALOGUES if self.editable_mode else Path(self.build_lib) / "slackapp/templates/locale"
            for source in sorted(CATALOGUES.glob("*/LC_MESSAGES/*.po")):
                compiled = target / source.relative_to(CATALOGUES).with_suffix(".mo")
                compiled.parent.mkdir(parents=True, exist_ok=True)
                with source.open("rb") as po, compiled.open("wb") as mo:
                    write_mo(mo, read_po(po), use_fuzzy=False)

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        if package == MANIFEST_PACKAGE:
            return []
        return super().find_package_modules(package, package_dir)


setup(
    packages=[
        *find_packages(include=[f"{top}{nested}" for top in SHIPPED for nested in ("", ".*")]),
        *MAPPED,
    ],
    cmdclass={"build_py": BuildPy},
)
