using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

public static class ImpersonationContext
{
    /// <summary>
    /// When a super admin's impersonation token makes the request, every grain call and ledger entry of that request
    /// carries the admin as impersonator (through Orleans's RequestContext), whatever code writes the entry.
    /// </summary>
    public static WebApplication UseImpersonationContext(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.User.FindFirst(TenantClaims.Impersonator)?.Value is { } admin) RequestContext.Set(AuditLedger.ImpersonatorKey, $"user:{admin}");
            await next(context);
        });
        return app;
    }
}
