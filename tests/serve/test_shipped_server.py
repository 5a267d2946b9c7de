"""The server as configured by default: the shipped detector on ONNX Runtime, loaded from the config."""

from __future__ import annotations

import openai
import pytest
from conftest import KEY, SAFE_PROMPT, UNSAFE_PROMPT, make_config, running

from slmguard.serve.app import create_app


@pytest.mark.shipped
def test_default_config_loads_the_shipped_detector(tmp_path):
    app = create_app(make_config(tmp_path))
    with running(app) as url:
        client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
        results = client.moderations.create(input=[UNSAFE_PROMPT, SAFE_PROMPT]).results
        assert [r.flagged for r in results] == [True, False]
        assert app.state.service.guard.model_id == "slmguard-minilm-detector"
