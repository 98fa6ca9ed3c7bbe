using SpotOptimizer.Cloud.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// The simulated world on AWS's wire, laid out as <c>AwsEndpoints.AllAt(prefix)</c> expects: <c>{prefix}/sts/{region}/</c>,
/// <c>{prefix}/ec2/{region}/</c>, <c>{prefix}/eks/{region}/…</c> (EKS's REST paths below it), <c>{prefix}/autoscaling/{region}/</c> and <c>{prefix}/sqs/{region}/</c>,
/// plus the public price list and Spot Advisor files (<see cref="PublicFeedsWire"/>).
/// The <see cref="Cloud.Simulation.SimulatedCloud"/> is resolved from the request's services.
/// </summary>
public static class SimulatedAwsEndpoints
{
    /// <returns>The group of these routes, for the host's conventions (anonymous: SigV4 is the authentication).</returns>
    /// <param name="options">The platform's own key pair; from the services' <see cref="IOptions{TOptions}"/> (or the documented defaults) when null.</param>
    public static RouteGroupBuilder MapSimulatedAws(this IEndpointRouteBuilder routes, string prefix, SimulatedAwsOptions? options = null)
    {
        options ??= routes.ServiceProvider.GetService<IOptions<SimulatedAwsOptions>>()?.Value ?? new SimulatedAwsOptions();
        var sessions = routes.ServiceProvider.GetService<IssuedSessions>() ?? new IssuedSessions();
        var server = new SimulatedAwsServer(options, sessions);
        var group = routes.MapGroup(prefix.TrimEnd('/'));
        // Query services take a form POST at their root; the catch-all accepts the root with or without a trailing slash.
        group.MapPost("/sts/{region}/{**rest}", (HttpContext context) => server.ServeAsync(context, AwsService.Sts));
        group.MapPost("/ec2/{region}/{**rest}", (HttpContext context) => server.ServeAsync(context, AwsService.Ec2));
        group.MapPost("/autoscaling/{region}/{**rest}", (HttpContext context) => server.ServeAsync(context, AwsService.AutoScaling));
        group.MapMethods("/eks/{region}/{**path}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => server.ServeAsync(context, AwsService.Eks));
        group.MapPost("/sqs/{region}/{**rest}", (HttpContext context) => server.ServeAsync(context, AwsService.Sqs));
        group.MapGet(SimulatedAwsOptions.PriceListPath, (string region) => PublicFeedsWire.PriceList(region));
        group.MapGet(SimulatedAwsOptions.AdvisorPath, (HttpContext context) => PublicFeedsWire.Advisor(context.RequestServices.GetRequiredService<Cloud.Simulation.SimulatedCloud>()));
        return group;
    }
}
