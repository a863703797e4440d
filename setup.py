"""The package list, which pyproject.toml cannot give: it depends on which folders are present.

A checkout ships slackapp with the fake Slack (fakeslack/) and the playground (kindly_playground/); the
container image builds from slackapp/, templates/ and migrations/ alone (deploy/Dockerfile), where those
two are simply not found. pyproject.toml has either a fixed list (which fails on a missing folder) or
`packages.find` (which cannot name the packages [tool.setuptools.package-dir] maps to top-level folders).
Everything else about the build is in pyproject.toml.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

SHIPPED = ["slackapp", "fakeslack", "kindly_playground"]  # each with its subpackages, where present
# Their folders sit at the top of the repository; [tool.setuptools.package-dir] maps them into slackapp.
MAPPED = ["slackapp.templates", "slackapp.migrations", "slackapp.migrations.versions", "slackapp.appmanifest"]
MANIFEST_PACKAGE = "slackapp.appmanifest"


class BuildPy(build_py):
    """The manifest's package is the repository root: only manifest.yml ships from it, not this file."""

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
