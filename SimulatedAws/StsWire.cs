using SpotOptimizer.Cloud.Simulation;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>STS (Query, Version 2011-06-15): AssumeRole by the platform's own identity, GetCallerIdentity by anyone.</summary>
internal sealed class StsWire(SimulatedAwsOptions options, IssuedSessions sessions)
{
    public async Task<WireReply> HandleAsync(WireRequest request)
    {
        var parameters = QueryParameters.Parse(request.Body);
        return parameters.Action switch
        {
            "AssumeRole" => await AssumeRoleAsync(request, parameters),
            "GetCallerIdentity" => GetCallerIdentity(request),
            var other => throw new AwsWireException(400, "InvalidAction", $"Could not find operation {other} for version 2011-06-15"),
        };
    }

    private string PlatformArn => $"arn:aws:iam::{options.AccountId}:user/{options.UserName}";

    private async Task<WireReply> AssumeRoleAsync(WireRequest request, QueryParameters parameters)
    {
        var roleArn = parameters.Required("RoleArn");
        var sessionName = parameters.Required("RoleSessionName");
        var caller = request.Session?.AssumedRoleArn ?? PlatformArn;
        var denied = new AwsWireException(403, "AccessDenied", $"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        // Role chaining is not part of the product; the simulated roles trust the platform's identity only.
        if (request.Session is not null || parameters.Get("ExternalId") is not { Length: > 0 } externalId) throw denied;
        var duration = parameters.Int("DurationSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;

        CloudSession session;
        try
        {
            session = await request.Cloud.AssumeRoleAsync(new RoleRequest(roleArn, externalId, sessionName, duration), request.Aborted);
        }
        catch (CloudException e) when (e.Code is CloudErrorCodes.RoleNotFound or CloudErrorCodes.ExternalIdMismatch)
        {
            // AWS answers alike for a missing role and a wrong External ID, so that roles cannot be probed from outside.
            throw denied;
        }
        catch (CloudException e) when (e.Code is CloudErrorCodes.InvalidRoleArn)
        {
            throw new AwsWireException(400, "ValidationError", $"1 validation error detected: Value '{roleArn}' at 'roleArn' failed to satisfy constraint: {e.Message}");
        }

        sessions.Add(session, request.Now);
        var credentials = session.Credentials;
        var ns = StsNamespace;
        return WireReply.Xml(200, Result(ns, "AssumeRole", request.RequestId,
            new XElement(ns + "AssumedRoleUser",
                new XElement(ns + "Arn", session.AssumedRoleArn),
                new XElement(ns + "AssumedRoleId", $"{RoleId(session.Role.ToString())}:{session.SessionName}")),
            new XElement(ns + "Credentials",
                new XElement(ns + "AccessKeyId", credentials.AccessKeyId),
                new XElement(ns + "SecretAccessKey", credentials.SecretAccessKey),
                new XElement(ns + "SessionToken", credentials.SessionToken),
                new XElement(ns + "Expiration", credentials.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))));
    }

    private WireReply GetCallerIdentity(WireRequest request)
    {
        var ns = StsNamespace;
        var (arn, userId, account) = request.Session is { } session
            ? (session.AssumedRoleArn, $"{RoleId(session.Role.ToString())}:{session.SessionName}", session.AccountId)
            : (PlatformArn, options.AccessKeyId, options.AccountId);
        return WireReply.Xml(200, Result(ns, "GetCallerIdentity", request.RequestId,
            new XElement(ns + "Arn", arn), new XElement(ns + "UserId", userId), new XElement(ns + "Account", account)));
    }

    /// <summary>A role's unique id (<c>AROA…</c>), stable per role ARN as on AWS.</summary>
    private static string RoleId(string roleArn) =>
        "AROA" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(roleArn)))[..17];
}
