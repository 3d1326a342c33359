import json

from openapi_spec_validator import validate

from calculator.inputs import ESTIMATE_FIELDS
from calculator.urls import api_v1

build_document = api_v1.get_openapi_schema


def test_the_openapi_document_validates(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    validate(document)
    assert {
        "/api/v1/estimate",
        "/api/v1/tokenize",
        "/api/v1/models",
        "/api/v1/models/{provider}/{model}/prices",
        "/api/v1/tokenizers",
    } <= set(document["paths"])


def test_the_documented_estimate_fields_are_the_accepted_ones():
    properties = build_document()["components"]["schemas"]["EstimateRequest"]["properties"]
    assert set(properties) == set(ESTIMATE_FIELDS)
