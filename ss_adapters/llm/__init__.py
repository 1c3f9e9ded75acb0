"""Real LLM adapters over HTTP: the chat-completions and messages wire formats, one shared
structured-answer loop, bounded retries, redacted traces. Configure with ``LLMSettings``."""

from ss_adapters.llm.anthropic import AnthropicLLM
from ss_adapters.llm.factory import build_llm
from ss_adapters.llm.openai_compatible import OpenAICompatibleLLM
from ss_adapters.llm.settings import PROVIDERS, LLMSettings

__all__ = ["PROVIDERS", "AnthropicLLM", "LLMSettings", "OpenAICompatibleLLM", "build_llm"]
