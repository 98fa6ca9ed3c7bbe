namespace SpotOptimizer.Api.Auth;

/// <summary>
/// Endpoint metadata: the route is open to ASP.NET's authorization (an agent holds no user session) and checks the
/// cluster's agent token itself, answering 401 <c>invalid_agent_token</c>; the OpenAPI document lists that.
/// </summary>
public sealed class AgentTokenAuthenticated
{
    public static readonly AgentTokenAuthenticated Instance = new();

    private AgentTokenAuthenticated()
    {
    }
}
