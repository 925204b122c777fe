"""Rendering of notices, letters, statements and case files from Jinja2 templates in a sandbox.

Templates are package data under ``templates/``; a folder named by ``templates_dir`` (or
``RECEIVABLES_DUNNING_TEMPLATES``) is searched first, so users replace any file by writing one
with the same path. Every template runs in Jinja2's ``SandboxedEnvironment``: attributes that
lead to Python internals (``__class__``, ``__globals__``, ``mro`` ...) raise a security error
instead of being reached. ``StrictUndefined`` makes an unknown variable an error rather than an
empty string, so a misspelt variable never reaches a customer.

A message template ``messages/LANG/NAME.j2`` defines three blocks: ``subject``, ``opening`` and
``closing``. The layouts (``layout/email.txt.j2``, ``layout/email.html.j2``,
``layout/letter.html.j2``) place them around the items, totals, fee, interest and offers. A
language without the template falls back to the default language, then to English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from receivables.dunning.config import CollectionSettings
from receivables.dunning.errors import TemplateProblemError

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    language: str


def explain(error: TemplateError) -> str:
    """Return a reason a user can act on for a template error."""
    if isinstance(error, SecurityError):
        return f"tried to reach Python internals, which the sandbox forbids ({error})"
    if isinstance(error, UndefinedError):
        return f"uses an unknown variable ({error}); see docs/collections.md for the variables"
    if isinstance(error, TemplateNotFound):
        return f"not found ({error.name})"
    return f"cannot be rendered: {error}"


def paragraphs(text: str) -> list[str]:
    """Split text at blank lines into paragraphs; line breaks inside a paragraph stay."""
    blocks = [
        "\n".join(line.strip() for line in block.strip().splitlines())
        for block in text.split("\n\n")
    ]
    return [block for block in blocks if block]


class Renderer:
    def __init__(self, settings: CollectionSettings) -> None:
        self.settings = settings
        self._labels: dict[str, dict[str, str]] = {}
        loaders: list[BaseLoader] = []
        if settings.templates_dir is not None:
            loaders.append(FileSystemLoader(str(settings.templates_dir)))
        loaders.append(PackageLoader("receivables.dunning", "templates"))
        loader = ChoiceLoader(loaders)
        options: dict[str, Any] = {"loader": loader, "undefined": StrictUndefined}
        self.text_env = SandboxedEnvironment(
            autoescape=False, trim_blocks=True, lstrip_blocks=True, **options
        )
        self.html_env = SandboxedEnvironment(
            autoescape=True, trim_blocks=True, lstrip_blocks=True, **options
        )

    def languages(self, wanted: str) -> list[str]:
        order = [wanted, self.settings.default_language, FALLBACK_LANGUAGE]
        return list(dict.fromkeys(order))

    def message_template(self, name: str, language: str) -> tuple[Template, str]:
        """Return the template ``name`` in ``language`` or a fallback, and the language used."""
        for candidate in self.languages(language):
            try:
                return self.text_env.get_template(f"messages/{candidate}/{name}.j2"), candidate
            except TemplateNotFound:
                continue
            except TemplateError as error:
                raise TemplateProblemError(
                    f"messages/{candidate}/{name}.j2", explain(error)
                ) from error
        raise TemplateProblemError(name, f"not found in {', '.join(self.languages(language))}")

    def labels(self, language: str) -> dict[str, str]:
        """Return the layout's words in ``language``, English for any it lacks."""
        if language not in self._labels:
            merged: dict[str, str] = {}
            for candidate in reversed(self.languages(language)):
                merged.update(self._read_labels(candidate))
            self._labels[language] = merged
        return self._labels[language]

    def _read_labels(self, language: str) -> dict[str, str]:
        name = f"labels/{language}.toml"
        if (
            self.settings.templates_dir is not None
            and (self.settings.templates_dir / name).is_file()
        ):
            return _toml_strings((self.settings.templates_dir / name).read_text("utf-8"), name)
        resource = resources.files("receivables.dunning").joinpath(f"templates/{name}")
        if not resource.is_file():
            return {}
        return _toml_strings(resource.read_text("utf-8"), name)

    def render_message(
        self, name: str, language: str, context: dict[str, Any], layouts: tuple[str, ...]
    ) -> RenderedMessage:
        """Render the blocks of a message template and place them in ``layouts`` (text, html)."""
        template, used = self.message_template(name, language)
        where = f"messages/{used}/{name}.j2"
        try:
            blocks = template.new_context(context)
            subject = " ".join("".join(template.blocks["subject"](blocks)).split())
            opening = "".join(template.blocks["opening"](blocks))
            closing = "".join(template.blocks["closing"](blocks))
        except KeyError as error:
            raise TemplateProblemError(
                where, f"lacks the block {error}; define subject, opening and closing"
            ) from error
        except TemplateError as error:
            raise TemplateProblemError(where, explain(error)) from error
        if context.get("message"):
            opening = str(context["message"])
        if context.get("subject_override"):
            subject = str(context["subject_override"])
        parts = {"subject": subject, "opening": paragraphs(opening), "closing": paragraphs(closing)}
        text_layout, html_layout = layouts
        return RenderedMessage(
            subject=subject,
            text=self.render(text_layout, {**context, **parts}, html=False),
            html=self.render(html_layout, {**context, **parts}, html=True),
            language=used,
        )

    def render(self, name: str, context: dict[str, Any], html: bool = True) -> str:
        env = self.html_env if html else self.text_env
        try:
            return env.get_template(name).render(context)
        except TemplateError as error:
            raise TemplateProblemError(name, explain(error)) from error


def _toml_strings(text: str, source: str) -> dict[str, str]:
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateProblemError(source, f"is not valid TOML: {error}") from error
    return {str(key): str(value) for key, value in values.items()}
