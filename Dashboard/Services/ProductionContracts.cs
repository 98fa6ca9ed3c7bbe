namespace SpotOptimizer.Dashboard.Services;

// The Lab's production model (GET /api/lab/production, POST /api/lab/graduate, POST /api/lab/rollback).

public sealed record PromotedModel(string ModelId, string Name, string Version, string Sha256, DateTimeOffset? PromotedAt, string? PromotedBy);

public sealed record ProductionChange(string Action, string ModelId, string Name, string Version, DateTimeOffset At, string By);

public sealed record ServingFailure(string ModelId, string Sha256, string Error, DateTimeOffset At);

public sealed record ServingModel(string Instance, string ModelId, string Name, string Version, string Sha256, string RecordedAs, DateTimeOffset LoadedAt, ServingFailure? LastFailure);

public sealed record ProductionModelView(PromotedModel Model, PromotedModel? Previous, IReadOnlyList<ProductionChange> History, ServingModel? Serving);
