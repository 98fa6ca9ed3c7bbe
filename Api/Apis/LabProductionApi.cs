using System.Security.Claims;
using System.Text.Json;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Which model the platform scores with: graduate a registered model (or <c>builtin</c>) to production, roll back to the
/// previous one, and see both the pointer and what this instance serves. Every silo follows the pointer within
/// <c>Lab:Serving:RefreshInterval</c> (1 s) plus the model's load time, swapping only a fully loaded model that answers
/// the contract's test vector; a model that cannot be loaded is refused before the pointer moves.
/// </summary>
public static class LabProductionApi
{
    public const string GraduatedAction = "lab.model_graduated";
    public const string RolledBackAction = "lab.model_rolled_back";

    public static RouteGroupBuilder MapLabProductionApi(this RouteGroupBuilder lab)
    {
        lab.MapGet("/production", Production).Produces<ProductionView>();
        lab.MapPost("/graduate", Graduate).AcceptsJson<GraduateRequest>().Produces<ProductionView>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        lab.MapPost("/rollback", Rollback).Produces<ProductionView>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return lab;
    }

    public static async Task<IResult> Production(IGrainFactory grains, IServiceProvider services) =>
        TypedResults.Ok(View(await Pointer(grains).Get(), services));

    public static async Task<IResult> Graduate(
        HttpRequest request, ClaimsPrincipal admin, IGrainFactory grains, AuditLedger ledger, IServiceProvider services, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<GraduateRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var change = await Pointer(grains).Graduate(body!.NormalizedId, admin.Actor());
        return await AnswerAsync(change, GraduatedAction, admin, ledger, services, cancellationToken);
    }

    public static async Task<IResult> Rollback(
        ClaimsPrincipal admin, IGrainFactory grains, AuditLedger ledger, IServiceProvider services, CancellationToken cancellationToken) =>
        await AnswerAsync(await Pointer(grains).Rollback(admin.Actor()), RolledBackAction, admin, ledger, services, cancellationToken);

    private static async Task<IResult> AnswerAsync(
        ProductionChange change, string action, ClaimsPrincipal admin, AuditLedger ledger, IServiceProvider services, CancellationToken cancellationToken)
    {
        switch (change.Outcome)
        {
            case ProductionChangeOutcome.ModelNotFound:
                return Problems.Of(StatusCodes.Status404NotFound, "model_not_found", "Not found.", "No registered model, and not 'builtin', has that id.");
            case ProductionChangeOutcome.AlreadyProduction:
                return Problems.Conflict("model_already_production", $"Model {change.Model.Current.ModelId} ({Named(change.Model.Current)}) is already production.");
            case ProductionChangeOutcome.NothingToRollBack:
                return Problems.Conflict("nothing_to_roll_back", "Production is the built-in model and was never replaced: there is no previous model.");
            case ProductionChangeOutcome.ModelUnloadable:
                return Problems.Unprocessable("model_unloadable", $"The model cannot be served, so production is unchanged: {change.Detail}");
        }

        var now = change.Model.Current;
        await ledger.RecordAsync(admin.OrganizationId(), admin.Actor(), action, $"model:{now.ModelId}", Audit(now), cancellationToken, before: Audit(change.Replaced!));
        return TypedResults.Ok(View(change.Model, services));
    }

    private static IProductionModelGrain Pointer(IGrainFactory grains) => grains.GetGrain<IProductionModelGrain>(IProductionModelGrain.Key);

    private static string Named(ProductionPointer p) => $"{p.Name} v{p.Version}";

    private static string Audit(ProductionPointer p) =>
        JsonSerializer.Serialize(new { model_id = p.ModelId, name = p.Name, version = p.Version, sha256 = p.Sha256 });

    /// <summary>What this instance serves is read from its silo; an instance that only relays to silos elsewhere (<c>Orleans:Role=client</c>) has none.</summary>
    private static ProductionView View(ProductionModelView model, IServiceProvider services) => new(
        Promoted(model.Current),
        model.Previous is { } previous ? Promoted(previous) : null,
        [.. model.History.Select(e => new ProductionChangeView(e.Action, e.ModelId, e.Name, e.Version, e.At, e.By))],
        services.GetService<IServedModelStatus>()?.Current is { } s
            ? new ServingView(s.Instance, s.ModelId, s.Name, s.Version, s.Sha256, s.RecordedAs, s.LoadedAt,
                s.LastFailure is { } f ? new ServingFailureView(f.ModelId, f.Sha256, f.Error, f.At) : null)
            : null);

    private static PromotedModel Promoted(ProductionPointer p) => new(p.ModelId, p.Name, p.Version, p.Sha256, p.PromotedAt, p.PromotedBy);

    /// <param name="ModelId">A registered model's id (<c>GET /api/admin/models</c>), or <c>builtin</c>.</param>
    public sealed record GraduateRequest(string? ModelId) : IValidatable
    {
        internal string NormalizedId => ModelId?.Trim() is BuiltinModel.Id ? BuiltinModel.Id : Ids.TryNormalize(ModelId, out var id) ? id : "";

        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("model_id", ModelId) && NormalizedId.Length == 0) errors.Add("model_id", $"must be a registered model's id (a UUID) or '{BuiltinModel.Id}'.");
        }
    }

    /// <param name="Model">Production now. <c>promoted_at</c>/<c>promoted_by</c> are null for the built-in model never promoted.</param>
    /// <param name="Previous">What <c>POST /api/lab/rollback</c> would bring back; null when there is nothing to roll back to.</param>
    /// <param name="History">Graduations and rollbacks, newest first.</param>
    /// <param name="Serving">What the instance that answered scores with right now (null on an instance that hosts no silo).</param>
    public sealed record ProductionView(PromotedModel Model, PromotedModel? Previous, IReadOnlyList<ProductionChangeView> History, ServingView? Serving);

    public sealed record PromotedModel(string ModelId, string Name, string Version, string Sha256, DateTimeOffset? PromotedAt, string? PromotedBy);

    /// <param name="Action"><c>graduated</c> or <c>rolled_back</c>, to <see cref="ModelId"/>.</param>
    public sealed record ProductionChangeView(string Action, string ModelId, string Name, string Version, DateTimeOffset At, string By);

    /// <param name="Instance">The silo that answered.</param>
    /// <param name="RecordedAs">The version its decisions record: the built-in artifact's version, or <c>name@version</c>.</param>
    /// <param name="LoadedAt">When this instance started serving it.</param>
    /// <param name="LastFailure">The production model this instance could not load while it kept serving this one, if any.</param>
    public sealed record ServingView(
        string Instance, string ModelId, string Name, string Version, string Sha256, string RecordedAs, DateTimeOffset LoadedAt, ServingFailureView? LastFailure);

    public sealed record ServingFailureView(string ModelId, string Sha256, string Error, DateTimeOffset At);
}
