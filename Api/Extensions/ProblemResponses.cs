using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpotOptimizer.Api.Auth;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// Every operation in the OpenAPI document lists the failures it can answer, each as RFC 7807 ProblemDetails
/// (<c>application/problem+json</c>, one shared <c>ProblemDetails</c> schema with the stable <c>code</c>): 400 when it
/// takes parameters or a body, 401 and 403 when it needs a signed-in caller (401 alone for the agent's token), 404 when its route names a resource, 429
/// when it is rate limited. Derived from each endpoint's own metadata, so a client generator gets typed errors for
/// every route without a list to keep in step.
/// </summary>
internal static class ProblemResponses
{
    public const string SchemaName = "ProblemDetails";
    public const string MediaType = "application/problem+json";

    public static void AddTo(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[SchemaName] = Schema();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var authorized = !anonymous && metadata.OfType<IAuthorizeData>().Any();
            var agent = metadata.OfType<AgentTokenAuthenticated>().Any();
            operation.Responses ??= new OpenApiResponses();
            // Handlers that read their JSON body themselves declare no body parameter: a body method takes input all the same.
            var takesInput = context.Description.ParameterDescriptions.Count > 0 || context.Description.HttpMethod is "POST" or "PUT" or "PATCH";
            if (takesInput) Add(operation, context.Document, "400", "Invalid input (`validation_failed` lists the fields).");
            if (authorized || agent) Add(operation, context.Document, "401", agent ? "No valid agent token (`invalid_agent_token`)." : "No valid access token.");
            if (authorized) Add(operation, context.Document, "403", "The caller's role or organization may not do this.");

            if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                Add(operation, context.Document, "404", "No such resource in the caller's organization (another organization's is not disclosed).");
            if (metadata.OfType<ClientRateLimited>().Any()) Add(operation, context.Document, "429", "Too many requests from this client (`rate_limited`; see `Retry-After`).");
            return Task.CompletedTask;
        });
    }

    private static void Add(OpenApiOperation operation, OpenApiDocument? document, string status, string description)
    {
        // An endpoint that declares its own response for the status keeps it.
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [MediaType] = new() { Schema = new OpenApiSchemaReference(SchemaName, document) } },
        };
    }

    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details; branch on `code`, never on `title` or `detail`.",
        Required = new HashSet<string> { "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference that identifies the problem type."),
            ["title"] = Text("A short human-readable summary."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong with this request."),
            ["instance"] = Text("The request path."),
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable error code.", Examples = [JsonValue.Create("validation_failed")] },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                Description = "For `validation_failed`: the invalid fields and their messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
