using System.Text.Json;
using SpotOptimizer.ModelSandbox;
using SpotOptimizer.Optimization.Lab;

// Usage: SpotOptimizer.ModelSandbox <onnx|mlnet_zip> <model file>. Writes one ModelTrialReport as JSON on stdout;
// the exit code is 0 whenever a report was written, so a non-zero code means the process itself died.
if (args.Length != 2 || args[0] is not (ModelFormats.Onnx or ModelFormats.MlNetZip))
{
    await Console.Error.WriteLineAsync($"usage: SpotOptimizer.ModelSandbox <{ModelFormats.Onnx}|{ModelFormats.MlNetZip}> <model file>");
    return 2;
}

var report = ModelTrial.Run(args[0], args[1]);
await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
return 0;
