namespace SpotOptimizer.Api.Http;

public static class RequestBodies
{
    /// <summary>
    /// Declares the JSON body a handler reads itself (<see cref="JsonBody"/>, <see cref="StreamedJsonBody"/>): the
    /// framework does not bind it, so without this the OpenAPI document has no request body and a generated client no
    /// request type. <typeparamref name="T"/> is the record the handler reads.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder)
        where T : class, IValidatable =>
        builder.Accepts<T>("application/json");
}
