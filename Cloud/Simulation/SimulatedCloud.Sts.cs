namespace SpotOptimizer.Cloud.Simulation;

/// <summary>STS and the customer's CloudFormation stack: who may assume which role with which External ID.</summary>
public sealed partial class SimulatedCloud
{
    /// <summary>
    /// What the customer's quick-create CloudFormation stack does: creates <paramref name="roleName"/> in the account,
    /// trusting our principal with <paramref name="externalId"/>, allowing <paramref name="allowedActions"/>
    /// (all of <see cref="RequiredPermissions.Actions"/> when null; a subset to simulate a hand-edited policy).
    /// The stack also creates, in <paramref name="region"/> (a stack is regional), the EventBridge rule and its SQS queue of EC2
    /// instance events. Redeploying replaces the role and keeps the queue's messages.
    /// </summary>
    public RoleArn DeployCustomerStack(string accountId, string externalId, string roleName = DefaultRoleName, IEnumerable<string>? allowedActions = null,
        string region = SimulatedWorld.DemoRegion)
    {
        var arn = RoleArn.Parse($"arn:aws:iam::{accountId}:role/{roleName}");
        var role = new SimulatedRole(roleName, externalId, (allowedActions ?? RequiredPermissions.Actions).ToHashSet(StringComparer.Ordinal));
        Update(world =>
        {
            var account = (world.FindAccount(accountId) ?? SimulatedAccount.Empty(accountId)).WithRole(role);
            return world.WithAccount(account.FindEventQueue(region) is null ? account.WithEventQueue(new SimulatedEventQueue(region, InstanceEventQueue.QueueName, [])) : account);
        });
        return arn;
    }

    /// <summary>The customer deletes the stack: the role is gone, new AssumeRole calls fail and live sessions are denied.</summary>
    public bool DeleteCustomerStack(string accountId, string roleName = DefaultRoleName) =>
        Mutate((world, _) =>
        {
            var account = world.FindAccount(accountId);
            // The stack's queue goes with it (and the events in it).
            return account?.FindRole(roleName) is null ? (world, false) : (world.WithAccount(account.WithoutRole(roleName) with { EventQueues = [] }), true);
        });

    /// <summary>
    /// The session STS issued under <paramref name="accessKeyId"/>, expired or not; null when STS never issued it (or swept
    /// it after it expired). What a server on AWS's wire needs to tell an unknown key from an expired token.
    /// </summary>
    public async Task<SimulatedSession?> FindSessionAsync(string accessKeyId, CancellationToken cancellationToken = default) =>
        (await _store.ReadAsync(cancellationToken)).Sessions.GetValueOrDefault(accessKeyId);

    public Task<CloudSession> AssumeRoleAsync(RoleRequest request, CancellationToken cancellationToken = default)
    {
        var accountId = RoleArn.TryParse(request.RoleArn, out var parsed) ? parsed.AccountId : null;
        return Run(CloudActions.AssumeRole, accountId, null, $"role={request.RoleArn} session={request.SessionName}", cancellationToken, now =>
        {
            var arn = request.Validate();
            return _store.UpdateAsync(snapshot =>
            {
                var role = snapshot.World.FindAccount(arn.AccountId)?.FindRole(arn.Name)
                    ?? throw new CloudException(CloudErrorCodes.RoleNotFound, $"Role {arn} does not exist.");
                if (!string.Equals(role.ExternalId, request.ExternalId, StringComparison.Ordinal))
                    throw new CloudException(CloudErrorCodes.ExternalIdMismatch, $"The trust policy of role {arn} requires a different External ID.");
                return Issue(snapshot, arn, role, request, now);
            }, cancellationToken);
        });
    }

    private static (SimulatedWorldSnapshot Next, CloudSession Session) Issue(SimulatedWorldSnapshot snapshot, RoleArn arn, SimulatedRole role, RoleRequest request,
        DateTimeOffset now)
    {
        var random = snapshot.RandomForNextChange();
        var credentials = new TemporaryCredentials(SimulatedIds.AccessKeyId(random), SimulatedIds.Secret(random), SimulatedIds.SessionToken(random),
            now + request.EffectiveDuration);
        var issued = new SimulatedSession(arn.AccountId, role.RoleName, role.ExternalId, SimulatedSession.Hash(credentials.SecretAccessKey), credentials.Expiration);
        var sessions = snapshot.Sessions.RemoveRange(snapshot.Sessions.Where(s => s.Value.Expiration <= now).Select(s => s.Key))
            .SetItem(credentials.AccessKeyId, issued);
        var session = new CloudSession(arn, request.SessionName, $"arn:{arn.Partition}:sts::{arn.AccountId}:assumed-role/{role.RoleName}/{request.SessionName}", credentials);
        return (snapshot with { Sessions = sessions }, session);
    }
}
