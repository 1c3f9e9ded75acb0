"""The loaded library as a lookup table of templates and families."""

from __future__ import annotations

from collections.abc import Iterator

from ss_core.errors import TemplateError
from ss_core.library.meta import Template


class Library:
    """An immutable set of validated templates, addressable by id."""

    def __init__(self, templates: tuple[Template, ...]) -> None:
        self._by_id = {t.id: t for t in templates}
        self.templates = tuple(sorted(templates, key=lambda t: t.id))

    def __len__(self) -> int:
        return len(self.templates)

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates)

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._by_id

    def get(self, template_id: str) -> Template:
        try:
            return self._by_id[template_id]
        except KeyError:
            shown = template_id[:80] + ("..." if len(template_id) > 80 else "")
            raise TemplateError(
                f"no template {shown!r} in the library",
                code="TEMPLATE_NOT_FOUND",
                template_id=shown,
            ) from None

    @property
    def families(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for tpl in self.templates:
            counts[tpl.meta.family] = counts.get(tpl.meta.family, 0) + 1
        return dict(sorted(counts.items()))
