using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// Serves one request as AWS would: authenticates it (SigV4 with a key STS issued, or the platform's own key for STS),
/// dispatches it to its service, and answers errors in the service's protocol. The simulated cloud does the work, so
/// its faults, permissions and call log apply exactly as through <see cref="ICloudProvider"/>.
/// </summary>
internal sealed class SimulatedAwsServer(SimulatedAwsOptions options, IssuedSessions sessions)
{
    public async Task ServeAsync(HttpContext context, AwsService service)
    {
        var requestId = Guid.NewGuid().ToString();
        WireReply reply;
        try
        {
            reply = await HandleAsync(context, service, requestId);
        }
        catch (AwsWireException e)
        {
            reply = WireErrors.Render(service, e, requestId);
        }
        catch (CloudException e)
        {
            reply = WireErrors.Render(service, WireErrors.From(service, e), requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A crash in the simulator (injected or real) is the service's own failure: logged here, never shown to the caller.
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger<SimulatedAwsServer>()
                .LogError(e, "The simulated {Service} failed request {RequestId}", service, requestId);
            reply = WireErrors.Render(service, WireErrors.Internal(service), requestId);
        }

        await reply.WriteAsync(context.Response, context.RequestAborted);
    }

    private async Task<WireReply> HandleAsync(HttpContext context, AwsService service, string requestId)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var services = context.RequestServices;
        var cloud = services.GetRequiredService<SimulatedCloud>();
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var session = await AuthenticateAsync(context.Request, body, service, cloud, context.RequestAborted);
        var request = new WireRequest(context, body, context.GetRouteValue("region") as string ?? "", requestId, session, cloud, now);
        return service switch
        {
            AwsService.Sts => await new StsWire(options, sessions).HandleAsync(request),
            AwsService.Ec2 => await Ec2Wire.HandleAsync(request),
            AwsService.Eks => await EksWire.HandleAsync(request),
            AwsService.Sqs => await SqsWire.HandleAsync(request),
            _ => await AutoScalingWire.HandleAsync(request),
        };
    }

    /// <summary>
    /// Who signed: null for the platform's own key (accepted by STS only, checked there), else the STS session whose
    /// key signed it. Unknown key, wrong signature, token not the session's, or an expired session fail as AWS fails them.
    /// </summary>
    private async Task<CloudSession?> AuthenticateAsync(HttpRequest request, byte[] body, AwsService service, SimulatedCloud cloud, CancellationToken cancellationToken)
    {
        var authorization = SigV4Authorization.Parse(request.Headers.Authorization.ToString()) ?? throw WireErrors.MissingAuthentication(service);
        if (authorization.Service != service.SigningName())
            throw new AwsWireException(403, service == AwsService.Eks ? "InvalidSignatureException" : "SignatureDoesNotMatch",
                $"Credential should be scoped to correct service: '{service.SigningName()}'.");

        if (request.HttpContext.GetRouteValue("region") is string region && authorization.Region != region)
            throw new AwsWireException(403, service == AwsService.Eks ? "InvalidSignatureException" : "SignatureDoesNotMatch",
                $"Credential should be scoped to a valid region: '{region}'.");

        if (authorization.AccessKeyId == options.AccessKeyId)
        {
            if (!SigV4Signature.Verify(request, body, authorization, options.SecretAccessKey)) throw WireErrors.BadSignature(service);
            return null;
        }

        var session = sessions.Find(authorization.AccessKeyId) ?? throw WireErrors.UnknownKey(service);
        if (!SigV4Signature.Verify(request, body, authorization, session.Credentials.SecretAccessKey)) throw WireErrors.BadSignature(service);
        // Temporary credentials are only valid with their session token, which the signature covers when sent.
        if (request.Headers["X-Amz-Security-Token"].ToString() != session.Credentials.SessionToken) throw WireErrors.UnknownKey(service);
        // The world decides whether the session still stands (shared by every process using the store).
        var issued = await cloud.FindSessionAsync(authorization.AccessKeyId, cancellationToken) ?? throw WireErrors.UnknownKey(service);
        var now = (request.HttpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        if (now >= issued.Expiration) throw WireErrors.Expired(service);
        return session;
    }
}
