using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Api.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Tenancy.Lab;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The Lab's model registry (issue 15): a super admin uploads an interruption model (ONNX or ML.NET zip), it runs
/// MOD-VAL-01 in the sandbox, and only a model that passed is stored. Every upload is in the admin's ledger, the
/// rejected ones too (<c>lab.model_rejected</c>), so who tried which file is on record.
/// </summary>
public static class LabModelsApi
{
    public const string Route = "/models";
    public const string RejectedAction = "lab.model_rejected";
    private const int MaxNameLength = 100;

    // Multipart boundaries and the other fields around the file.
    private const long FormOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapLabModelsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost($"{Route}/upload", Upload).Accepts<ModelUploadForm>("multipart/form-data").Produces<ModelView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapGet(Route, List).Produces<ModelList>();
        return admin;
    }

    public static async Task<IResult> List(ModelRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ModelList([.. (await registry.ListAsync(cancellationToken)).Select(View)]));

    public static async Task<IResult> Upload(
        HttpRequest request, ClaimsPrincipal admin, ModelSandboxHost sandbox, ModelRegistry registry, AuditLedger ledger, IOptions<ModelSandboxOptions> options,
        CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxModelBytes;
        if (request.ContentLength > maxBytes + FormOverheadBytes) return TooLarge(maxBytes);
        // Kestrel's default body limit (30 MB) would cut a larger allowed model off with a bare 413.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = maxBytes + FormOverheadBytes;
        if (!request.HasFormContentType) return Problems.BadRequest("multipart_required", "Send the model as multipart/form-data in the field 'file'.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes + FormOverheadBytes }, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            return exception.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? TooLarge(maxBytes) : Problems.BadRequest("multipart_invalid", exception.Message);
        }

        var (upload, problem) = Read(form, maxBytes);
        if (problem is not null) return problem;
        var content = new byte[upload!.File.Length];
        await using (var stream = upload.File.OpenReadStream()) await stream.ReadExactlyAsync(content, cancellationToken);
        var format = ModelFormats.Detect(content);
        var verdict = await sandbox.TrialAsync(content, format, cancellationToken);
        if (!verdict.Report.Passed)
        {
            await ledger.RecordAsync(admin.OrganizationId(), admin.Actor(), RejectedAction, $"model:{upload.Name}", JsonSerializer.Serialize(new
            {
                upload.Name, upload.Version, Format = format, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), SizeBytes = content.Length,
                verdict.Report.FailedCheck, verdict.Report.Detail,
            }, ApiJson.Options), cancellationToken);
            return Problems.Unprocessable(verdict.Report.FailedCheck!, verdict.Report.Detail);
        }

        var record = await registry.RegisterAsync(admin.OrganizationId(), admin.Actor(),
            new ModelRegistration(upload.Name, upload.Version, format, content, verdict.Json), cancellationToken);
        return record is null
            ? Problems.Conflict("model_version_exists", $"Model '{upload.Name}' already has version '{upload.Version}'.")
            : TypedResults.Created($"/api/admin{Route}/{record.Id}", View(record));
    }

    private static (ModelUpload? Upload, IResult? Problem) Read(IFormCollection form, long maxBytes)
    {
        var errors = new ValidationErrors();
        var file = form.Files.GetFile("file");
        if (file is null) errors.Add("file", "is required (multipart/form-data field 'file').");
        var name = form["name"].ToString().Trim();
        if (name.Length == 0 && file is not null) name = Path.GetFileNameWithoutExtension(file.FileName);
        if (name.Length is 0 or > MaxNameLength) errors.Add("name", $"must be 1–{MaxNameLength} characters (default: the file's name).");
        var version = form["version"].ToString().Trim();
        if (version.Length > MaxNameLength) errors.Add("version", $"must be at most {MaxNameLength} characters.");
        if (errors.Any) return (null, Problems.Validation(errors.ToDictionary()));
        if (file!.Length > maxBytes) return (null, TooLarge(maxBytes));
        if (file.Length == 0) return (null, Problems.Unprocessable(ModelChecks.Unreadable, "The file is empty."));
        return (new ModelUpload(file, name, version.Length == 0 ? null : version), null);
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, ModelChecks.TooLarge, "The model is too large.", $"Models may be at most {maxBytes} bytes (Lab:Sandbox:MaxModelBytes).");

    private static ModelView View(ModelRecord r)
    {
        using var validation = JsonDocument.Parse(r.ValidationJson);
        return new ModelView(r.Id, r.Name, r.Version, r.Format, r.Sha256, r.SizeBytes, r.UploadedBy, r.UploadedAt, validation.RootElement.Clone());
    }

    private sealed record ModelUpload(IFormFile File, string Name, string? Version);

    /// <summary>The upload's form as the OpenAPI document describes it (the handler reads the form itself, to answer with our codes).</summary>
    public sealed class ModelUploadForm
    {
        public required IFormFile File { get; init; }

        /// <summary>The model's name; the file's name without its extension when left out.</summary>
        public string? Name { get; init; }

        /// <summary>The version under that name; the name's next number when left out (a taken one is 409).</summary>
        public string? Version { get; init; }
    }

    /// <summary>A registered model; <c>validation</c> is the sandbox's report: scores on the trial batch and timings.</summary>
    public sealed record ModelView(
        string Id, string Name, string Version, string Format, string Sha256, long SizeBytes, string UploadedBy, DateTimeOffset UploadedAt, JsonElement Validation);

    public sealed record ModelList(IReadOnlyList<ModelView> Models);
}
