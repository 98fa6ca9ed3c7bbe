using System.Data.Common;
using Dapper;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Notifications;

/// <summary>A deleted organization's notification settings (webhook URLs, e-mail addresses, secret), queued deliveries, their attempts and its reports.</summary>
public sealed class NotificationDataEraser : IOrganizationDataEraser
{
    public async Task EraseAsync(DbConnection connection, DbTransaction transaction, string organizationId, CancellationToken cancellationToken)
    {
        foreach (var sql in (string[])
                 [
                     "DELETE FROM notification_attempts WHERE outbox_id IN (SELECT id FROM notification_outbox WHERE organization_id = @OrganizationId)",
                     "DELETE FROM notification_outbox WHERE organization_id = @OrganizationId",
                     "DELETE FROM weekly_reports WHERE organization_id = @OrganizationId",
                     "DELETE FROM notification_settings WHERE organization_id = @OrganizationId",
                 ])
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        }
    }
}
