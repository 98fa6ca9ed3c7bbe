using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Governance;
using SpotOptimizer.Grains.Interfaces.Governance;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>Node templates: which instance families and architectures a cluster's nodes may use, and how (Spot / On-Demand).</summary>
public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/templates").WithTags("templates").RequireAuthorization(AuthServices.ClientPolicy);
        templates.MapGet("/", List).Produces<TemplateList>(StatusCodes.Status200OK);
        templates.MapPost("/", Create).AcceptsJson<CreateTemplateRequest>().Produces<CreatedTemplate>(StatusCodes.Status201Created);
        templates.MapPost("/validate", Validate).AcceptsJson<ValidateRequest>().Produces<ValidationResult>(StatusCodes.Status200OK);
        templates.MapPatch("/{id}/default", SetDefault).Produces<DefaultSet>(StatusCodes.Status200OK);
        templates.MapDelete("/{id}", Delete).Produces(StatusCodes.Status204NoContent);
        return app;
    }

    public static async Task<IResult> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(new TemplateList(await Catalog(user, grains).List()));

    public static async Task<IResult> Create(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateTemplateRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var draft = new NodeTemplateDraft(body!.Name!, [.. body.Families!.Select(f => f.Trim().ToLowerInvariant())],
            [.. body.Architectures!.Select(a => InstanceFamilies.Name(InstanceFamilies.ParseArchitecture(a)!.Value))], body.Strategy!, body.MinVcpu!.Value, body.MaxVcpu!.Value);
        var created = await Catalog(user, grains).Create(draft, user.Actor());
        return TypedResults.Created($"/api/templates/{created.Id}", new CreatedTemplate(created, body.Warnings));
    }

    public static async Task<IResult> Validate(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ValidateRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        return TypedResults.Ok(new ValidationResult(TemplateValidator.Validate(body!.Families!, body.Allowed.Select(a => InstanceFamilies.ParseArchitecture(a)!.Value))));
    }

    public static async Task<IResult> SetDefault(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var templateId)) return Ids.Invalid("id");
        return await Catalog(user, grains).SetDefault(templateId, user.Actor()) ? TypedResults.Ok(new DefaultSet(true)) : Problems.NotFound("template");
    }

    public static async Task<IResult> Delete(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var templateId)) return Ids.Invalid("id");
        return await Catalog(user, grains).Delete(templateId, user.Actor()) switch
        {
            TemplateDeletion.Deleted => TypedResults.NoContent(),
            TemplateDeletion.InUse => Problems.Conflict("template_in_use", "A cluster's policy uses this template; point it elsewhere first."),
            _ => Problems.NotFound("template"),
        };
    }

    private static ITemplateCatalogGrain Catalog(ClaimsPrincipal user, IGrainFactory grains) => grains.GetGrain<ITemplateCatalogGrain>(user.OrganizationId());

    public sealed record CreateTemplateRequest(string? Name, List<string>? Families, List<string>? Architectures, string? Strategy, int? MinVcpu, int? MaxVcpu)
        : IValidatable
    {
        /// <summary>Findings that do not block saving (GPU or burstable families), returned with the created template.</summary>
        public IReadOnlyList<TemplateWarning> Warnings { get; private set; } = [];

        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("name", Name) && Name!.Trim().Length > 64) errors.Add("name", "must be at most 64 characters.");
            if (Strategy is not null && !TemplateStrategies.All.Contains(Strategy)) errors.Add("strategy", $"must be one of {string.Join(", ", TemplateStrategies.All)}.");
            errors.Required("strategy", Strategy);
            if (MinVcpu is null or < 1) errors.Add("min_vcpu", "must be at least 1.");
            if (MaxVcpu is null || MaxVcpu < (MinVcpu ?? 1) || MaxVcpu > 448) errors.Add("max_vcpu", "must be between min_vcpu and 448.");
            if (!FamiliesValid(Families, errors) | !ArchitecturesValid(Architectures, "architectures", errors)) return;
            var findings = TemplateValidator.Validate(Families!, Architectures!.Select(a => InstanceFamilies.ParseArchitecture(a)!.Value));
            foreach (var blocking in findings.Where(f => f.Blocking)) errors.Add("families", blocking.Message);
            Warnings = [.. findings.Where(f => !f.Blocking)];
        }
    }

    /// <summary>The seed's <c>{families, arch}</c>, or <c>architectures</c> to check a template that allows several at once.</summary>
    public sealed record ValidateRequest(List<string>? Families, string? Arch, List<string>? Architectures = null) : IValidatable
    {
        public IReadOnlyList<string> Allowed => Architectures is { Count: > 0 } ? Architectures : [Arch!];

        public void Validate(ValidationErrors errors)
        {
            // The seed's arch stays the documented required field; architectures, when given, takes its place.
            FamiliesValid(Families, errors);
            if (Architectures is not null) ArchitecturesValid(Architectures, "architectures", errors);
            else if (errors.Required("arch", Arch) && InstanceFamilies.ParseArchitecture(Arch!) is null) errors.Add("arch", "must be x86_64 or arm64.");
        }
    }

    private static bool FamiliesValid(List<string>? families, ValidationErrors errors)
    {
        if (families is null || families.Count == 0 || families.Count > 50 || families.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("families", "must list 1 to 50 instance families.");
            return false;
        }

        return true;
    }

    private static bool ArchitecturesValid(List<string>? architectures, string field, ValidationErrors errors)
    {
        if (architectures is null || architectures.Count == 0 || architectures.Any(a => InstanceFamilies.ParseArchitecture(a ?? "") is null))
        {
            errors.Add(field, "must list x86_64 and/or arm64.");
            return false;
        }

        return true;
    }

    public sealed record TemplateList(IReadOnlyList<NodeTemplate> Templates);

    public sealed record CreatedTemplate(NodeTemplate Template, IReadOnlyList<TemplateWarning> Warnings);

    public sealed record ValidationResult(IReadOnlyList<TemplateWarning> Warnings);

    public sealed record DefaultSet(bool Success);
}
