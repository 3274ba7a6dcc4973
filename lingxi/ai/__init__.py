"""AI building blocks used by the business modules through small typed interfaces: LLM providers
(``lingxi.ai.llm``), embeddings (``lingxi.ai.embeddings``), masking of personal data
(``lingxi.ai.masking``) and the offline language tools (``lingxi.ai.nlp``)."""
