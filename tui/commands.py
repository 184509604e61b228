"""The command palette (Ctrl+P): every described key binding of the current
screen and of the app, by its Chinese name (and its key)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from . import keys


class BindingCommands(Provider):
    def _commands(self):
        """(name, help, callback) for the screen's and the app's described bindings."""
        screen = self.screen
        sources = [(screen, getattr(type(screen), "BINDINGS", [])), (self.app, type(self.app).BINDINGS)]
        seen = set()
        for node, bindings in sources:
            for b in keys.described(b for b in bindings if hasattr(b, "action")):
                action = b.action.removeprefix("app.")
                if action in seen:
                    continue
                seen.add(action)
                yield keys.long_description(b), f"按键 {keys.key_label(b)}", partial(self.app.run_action, b.action, node)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
