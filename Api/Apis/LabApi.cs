using SpotOptimizer.Api.Auth;

namespace SpotOptimizer.Api.Apis;

/// <summary>The Lab (issue 15): super admins only, every route (403 for a client, 401 without a token).</summary>
public static class LabApi
{
    public static WebApplication MapLabApi(this WebApplication app)
    {
        var lab = app.MapGroup("/api/lab").WithTags("lab").RequireAuthorization(AuthServices.SuperAdminPolicy);
        lab.MapLabExperimentsApi();
        lab.MapLabProductionApi();
        return app;
    }
}
