"""The Claude estimator: our port of ctok's counting (the stream of pieces, the chunks whose counts add
up, the engine that tiles them) and the adapter the registry loads."""
