using System.Security.Claims;
using System.Text.RegularExpressions;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Reserved Instances and Savings Plans the customer declares (issue 14 item 5): the optimizer leaves the On-Demand
/// nodes they pay for alone, and the KPIs price those nodes at the committed rate and show each commitment's use.
/// </summary>
public static partial class CommitmentsApi
{
    /// <summary>AWS sells one- and three-year terms; a longer declared term is a typo.</summary>
    private static readonly TimeSpan MaxTerm = TimeSpan.FromDays((3 * 366) + 1);

    public static IEndpointRouteBuilder MapCommitmentsApi(this IEndpointRouteBuilder app)
    {
        var commitments = app.MapGroup("/api/commitments").WithTags("commitments").RequireAuthorization(AuthServices.ClientPolicy);
        commitments.MapGet("/", List).Produces<CommitmentList>(StatusCodes.Status200OK);
        commitments.MapPost("/", Declare).AcceptsJson<DeclareRequest>().Produces<CommitmentView>(StatusCodes.Status201Created);
        commitments.MapDelete("/{id}", Remove).Produces(StatusCodes.Status204NoContent);
        return app;
    }

    public static async Task<IResult> List(ClaimsPrincipal user, CommitmentStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CommitmentList([.. (await store.ListAsync(user.OrganizationId(), cancellationToken)).Select(View)]));

    public static async Task<IResult> Declare(HttpRequest request, ClaimsPrincipal user, CommitmentStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<DeclareRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var record = await store.DeclareAsync(user.OrganizationId(), body!.ToDraft(), user.Actor(), cancellationToken);
        return TypedResults.Created($"/api/commitments/{record.Id}", View(record));
    }

    public static async Task<IResult> Remove(string id, ClaimsPrincipal user, CommitmentStore store, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var commitmentId)) return Ids.Invalid("id");
        return await store.RemoveAsync(user.OrganizationId(), commitmentId, user.Actor(), cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("commitment");
    }

    private static CommitmentView View(CommitmentRecord r) => new(r.Id, r.Kind, r.InstanceType, r.Family, r.Region, r.Zone,
        r.Kind == CommitmentKinds.ReservedInstance ? r.InstanceCount : null, r.HourlyRate, r.DiscountPercent,
        r.Kind == CommitmentKinds.ReservedInstance ? null : r.HourlyCommitment, r.StartsAt, r.EndsAt, r.CreatedBy, r.CreatedAt);

    /// <summary>Which fields each kind takes: the others must be absent, so a misplaced field is said, not ignored.</summary>
    public sealed record DeclareRequest(
        string? Kind, string? InstanceType, string? Family, string? Region, string? Zone, int? InstanceCount, double? HourlyRate, double? DiscountPercent,
        double? HourlyCommitment, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (StartsAt is null) errors.Add("starts_at", "is required.");
            if (EndsAt is null) errors.Add("ends_at", "is required.");
            if (StartsAt is { } start && EndsAt is { } end && (end <= start || end - start > MaxTerm)) errors.Add("ends_at", "must be after starts_at, within three years.");
            if (!errors.Required("kind", Kind)) return;
            if (!CommitmentKinds.All.Contains(Kind)) errors.Add("kind", $"must be one of {string.Join(", ", CommitmentKinds.All)}.");
            else if (Kind == CommitmentKinds.ReservedInstance) ValidateReservedInstance(errors);
            else ValidateSavingsPlan(errors, Kind == CommitmentKinds.Ec2InstanceSavingsPlan);
        }

        private void ValidateReservedInstance(ValidationErrors errors)
        {
            if (errors.Required("instance_type", InstanceType) && !InstanceTypePattern().IsMatch(InstanceType!)) errors.Add("instance_type", "must be an EC2 instance type such as m5.xlarge.");
            if (errors.Required("region", Region) && !RegionName.IsValid(Region)) errors.Add("region", "must be an AWS region such as us-east-1.");
            if (Zone is not null && (!RegionName.IsValid(Region) || !ZonePattern().IsMatch(Zone) || !Zone.StartsWith(Region!, StringComparison.Ordinal)))
            {
                errors.Add("zone", "must be an availability zone of the region, such as us-east-1a.");
            }

            if (InstanceCount is null or < 1 or > 10_000) errors.Add("instance_count", "must be between 1 and 10000.");
            if ((HourlyRate is null) == (DiscountPercent is null)) errors.Add("hourly_rate", "give either hourly_rate or discount_percent.");
            if (HourlyRate is <= 0 or > 1_000) errors.Add("hourly_rate", "must be above 0 and at most 1000 $/h.");
            Discount(errors, required: false);
            Absent(errors, ("family", Family), ("hourly_commitment", HourlyCommitment));
        }

        private void ValidateSavingsPlan(ValidationErrors errors, bool instancePlan)
        {
            if (instancePlan)
            {
                if (errors.Required("family", Family) && !FamilyPattern().IsMatch(Family!)) errors.Add("family", "must be an instance family such as m5.");
                if (errors.Required("region", Region) && !RegionName.IsValid(Region)) errors.Add("region", "must be an AWS region such as us-east-1.");
            }
            else
            {
                Absent(errors, ("family", Family), ("region", Region));
            }

            if (HourlyCommitment is null or <= 0 or > 100_000) errors.Add("hourly_commitment", "must be above 0 and at most 100000 $/h.");
            Discount(errors, required: true);
            Absent(errors, ("instance_type", InstanceType), ("zone", Zone), ("instance_count", InstanceCount), ("hourly_rate", HourlyRate));
        }

        private void Discount(ValidationErrors errors, bool required)
        {
            if ((required && DiscountPercent is null) || DiscountPercent is <= 0 or >= 100) errors.Add("discount_percent", "must be above 0 and below 100.");
        }

        private void Absent(ValidationErrors errors, params (string Field, object? Value)[] fields)
        {
            foreach (var (field, value) in fields.Where(f => f.Value is not null)) errors.Add(field, $"does not apply to a {Kind}.");
        }

        public CommitmentDraft ToDraft() => new(Kind!, InstanceType, Family?.Trim(), Region, Zone, InstanceCount ?? 0, HourlyRate, DiscountPercent,
            HourlyCommitment ?? 0, StartsAt!.Value.ToUniversalTime(), EndsAt!.Value.ToUniversalTime());
    }

    public sealed record CommitmentList(IReadOnlyList<CommitmentView> Commitments);

    public sealed record CommitmentView(
        string Id, string Kind, string? InstanceType, string? Family, string? Region, string? Zone, int? InstanceCount, double? HourlyRate, double? DiscountPercent,
        double? HourlyCommitment, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, DateTimeOffset CreatedAt);

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex FamilyPattern();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d[a-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();
}
