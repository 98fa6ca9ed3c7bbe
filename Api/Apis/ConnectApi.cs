using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Accounts;
using Orleans;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>Linking an AWS account: issue an External ID and stack link, then verify the role the customer created.</summary>
public static partial class ConnectApi
{
    public static RouteGroupBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/api/connect").WithTags("accounts");
        connect.MapPost("/link", Link).RequireAuthorization(AuthServices.ClientPolicy).Produces<LinkResponse>(StatusCodes.Status200OK);
        connect.MapPost("/verify", Verify).RequireAuthorization(AuthServices.ClientPolicy).AcceptsJson<VerifyRequest>().Produces<VerifyResponse>(StatusCodes.Status200OK);
        connect.MapGet("/accounts", Accounts).RequireAuthorization(AuthServices.ClientPolicy).Produces<AccountList>(StatusCodes.Status200OK);
        connect.MapDelete("/accounts/{id}", Unlink).RequireAuthorization(AuthServices.OwnerPolicy).Produces<UnlinkResponse>(StatusCodes.Status200OK);
        connect.MapGet("/template", Template).AllowAnonymous().Produces<string>(StatusCodes.Status200OK, "application/x-yaml");
        return connect;
    }

    public static async Task<IResult> Link(
        ClaimsPrincipal user, AccountDirectory directory, IGrainFactory grains, IOptions<CloudFormationOptions> stack, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var organizationId = user.OrganizationId();
        var account = await directory.GetOrCreatePendingAsync(organizationId, cancellationToken);
        var issued = await grains.GetGrain<IAccountGrain>(account.Id).BeginLink(organizationId, user.Actor());
        var templateUrl = $"{request.Scheme}://{request.Host}/api/connect/template";
        return TypedResults.Ok(new LinkResponse(issued.AccountId, issued.ExternalId, stack.Value.QuickCreateUrl(templateUrl, issued.ExternalId), templateUrl));
    }

    public static async Task<IResult> Verify(
        HttpRequest request, ClaimsPrincipal user, AccountDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<VerifyRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var organizationId = user.OrganizationId();
        var pending = (await directory.ListAsync(organizationId, cancellationToken)).FirstOrDefault(a => a.AwsAccountId is null);
        if (pending is null) return Problems.Conflict("link_not_started", "Create a link with POST /api/connect/link first.");

        var view = await grains.GetGrain<IAccountGrain>(pending.Id).Verify(new VerifyLink(organizationId, user.Actor(), body!.AccountId!, body.RoleArn!));
        if (view is null) return Problems.Conflict("link_not_started", "Create a link with POST /api/connect/link first.");
        if (view.Status == AccountStatus.Failed) return Problems.Unprocessable(view.ErrorCode ?? "verification_failed", view.ErrorMessage ?? "Verification failed.");
        return TypedResults.Ok(new VerifyResponse(view.AccountId, view.Status, "Role verified; discovery started."));
    }

    public static async Task<IResult> Accounts(ClaimsPrincipal user, AccountDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var organizationId = user.OrganizationId();
        var views = new List<AccountView>();
        foreach (var account in await directory.ListAsync(organizationId, cancellationToken))
        {
            if (await grains.GetGrain<IAccountGrain>(account.Id).Get(organizationId) is { } view) views.Add(view);
        }

        return TypedResults.Ok(new AccountList(views));
    }

    /// <summary>
    /// Unlinks the account: its clusters stop being managed, discovery stops, the role ARN and External ID are
    /// forgotten (linking again issues a new External ID). The ledger keeps everything.
    /// </summary>
    public static async Task<IResult> Unlink(string id, ClaimsPrincipal user, AccountDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var accountId)) return Ids.Invalid("id");
        var organizationId = user.OrganizationId();
        if (await directory.GetAsync(organizationId, accountId, cancellationToken) is null) return Problems.NotFound("account");
        var unlinked = await grains.GetGrain<IAccountGrain>(accountId).Unlink(organizationId, user.Actor());
        return unlinked is null ? Problems.NotFound("account") : TypedResults.Ok(new UnlinkResponse(unlinked.AccountId, unlinked.AwsAccountId, unlinked.UnmanagedClusters));
    }

    public static IResult Template() =>
        TypedResults.Text(CloudFormationOptions.Template, "application/x-yaml");

    public sealed record VerifyRequest(string? AccountId, string? RoleArn) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("account_id", AccountId) && !AwsAccountId().IsMatch(AccountId!)) errors.Add("account_id", "must be a 12-digit AWS account id.");
            errors.Required("role_arn", RoleArn);
        }
    }

    public sealed record LinkResponse(string AccountId, string ExternalId, string CloudformationUrl, string TemplateUrl);

    public sealed record VerifyResponse(string AccountId, string Status, string Message);

    public sealed record UnlinkResponse(string AccountId, string? AwsAccountId, IReadOnlyList<string> UnmanagedClusters);

    public sealed record AccountList(IReadOnlyList<AccountView> Accounts);

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AwsAccountId();
}
