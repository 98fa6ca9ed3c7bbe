using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using System.Security.Claims;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The simulated AWS console, mapped only when the cloud is the simulator: it stands in for the customer
/// deploying our CloudFormation stack in their own account.
/// </summary>
public static class SimulatorApi
{
    public static IEndpointRouteBuilder MapSimulatorApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SimulatedCloud>() is null) return app;
        app.MapGet("/api/simulator", Describe).WithTags("simulator").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<SimulatorInfo>(StatusCodes.Status200OK);
        app.MapPost("/api/simulator/stacks", DeployStack).WithTags("simulator").RequireAuthorization(AuthServices.ClientPolicy)
            .AcceptsJson<StackRequest>().Produces<StackResponse>(StatusCodes.Status200OK);
        return app;
    }

    /// <summary>Tells a client (the web UI's onboarding) that this platform's AWS is the simulator; 404 where it is real AWS.</summary>
    public static IResult Describe() =>
        TypedResults.Ok(new SimulatorInfo(true, "The cloud is SpotOptimizer's simulated AWS: deploy the customer stack with POST /api/simulator/stacks."));

    public static async Task<IResult> DeployStack(
        HttpRequest request, ClaimsPrincipal user, SimulatedCloud cloud, AccountDirectory accounts, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<StackRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        // In real AWS only the account's owner can deploy into it; here, an account another organization has linked is
        // off limits (and looks like any account the caller does not own), so no tenant can replace another's role.
        if (await accounts.FindByAwsAccountAsync(body!.AwsAccountId!, cancellationToken) is { } linked && linked.OrganizationId != user.OrganizationId())
        {
            return Problems.NotFound("AWS account you own");
        }

        // An account the simulator has never seen gets a small EKS estate, so every tenant has clusters to discover.
        if (cloud.World.FindAccount(body.AwsAccountId!) is null)
        {
            cloud.AddDemoCluster(body.AwsAccountId!, "us-east-1", "prod-eks");
            cloud.AddDemoCluster(body.AwsAccountId!, "us-east-1", "staging-eks");
        }

        var role = cloud.DeployCustomerStack(body.AwsAccountId!, body.ExternalId!);
        return TypedResults.Ok(new StackResponse(role.ToString()));
    }

    public sealed record StackRequest(string? AwsAccountId, string? ExternalId) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("aws_account_id", AwsAccountId) && (AwsAccountId!.Length != 12 || !AwsAccountId.All(char.IsAsciiDigit)))
            {
                errors.Add("aws_account_id", "must be a 12-digit AWS account id.");
            }

            errors.RequiredId("external_id", ExternalId);
        }
    }

    public sealed record StackResponse(string RoleArn);

    public sealed record SimulatorInfo(bool Simulated, string Detail);
}
