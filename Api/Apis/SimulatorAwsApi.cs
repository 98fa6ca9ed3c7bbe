using SpotOptimizer.Silo;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedAws;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Simulator only, when <c>Simulator:ServeAws=true</c>: the simulated world on AWS's own wire protocols under
/// <c>/simulator/aws</c> (STS, EC2, EKS, Auto Scaling, and SQS for the customer stack's events queue), so the platform can run with <c>Cloud:Provider=aws</c> and
/// <c>Cloud:Aws:ServiceUrl</c> pointing here and go through the AWS SDK end to end. Authentication is AWS's own (SigV4
/// with the keys the simulator's STS issued; the platform's key pair from <c>Simulator:Aws</c> for AssumeRole), so the
/// routes need no session; AWS documents these APIs, so they stay out of our OpenAPI document.
/// </summary>
public static class SimulatorAwsApi
{
    public const string Prefix = "/simulator/aws";

    public static IEndpointRouteBuilder MapSimulatorAwsApi(this IEndpointRouteBuilder app)
    {
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!CloudSelection.ServesAws(configuration) || app.ServiceProvider.GetService<SimulatedCloud>() is null) return app;
        var options = configuration.GetSection(SimulatedAwsOptions.SectionName).Get<SimulatedAwsOptions>() ?? new SimulatedAwsOptions();
        app.MapSimulatedAws(Prefix, options).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
