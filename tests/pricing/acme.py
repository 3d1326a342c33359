"""Twenty models of one provider, the price-table tests' catalogue (upload flow, in and out of a browser)."""

from datetime import UTC, datetime
from decimal import Decimal as D

from pricing.bill.rates import Rates
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.services.versions import publish_price_version


def create_acme_models() -> list[LanguageModel]:
    """Acme 1 to Acme 20, each at 1.00 in / 4.00 out (USD per million tokens) from 2026-01-01."""
    acme = Provider.objects.create(slug="acme", name="Acme AI")
    models = []
    for n in range(1, 21):
        model = LanguageModel.objects.create(
            provider=acme, slug=f"acme-{n}", name=f"Acme {n}", tokenizer_key="generic"
        )
        publish_price_version(
            model=model,
            rates=Rates(D("1.00"), D("4.00")),
            effective_from=datetime(2026, 1, 1, tzinfo=UTC),
            origin=PriceVersion.Origin.SEED,
            change_reason="test fixture",
        )
        models.append(model)
    return models
