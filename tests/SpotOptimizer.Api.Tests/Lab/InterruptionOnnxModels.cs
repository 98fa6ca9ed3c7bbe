using SpotOptimizer.Optimization.Lab;
using static SpotOptimizer.Api.Tests.Lab.OnnxProto;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>Real ONNX files for the Lab's tests, each built on the Lab's interface: input <c>features</c> [N, 13].</summary>
internal static class InterruptionOnnxModels
{
    private static int K => ModelInterface.FeatureCount;

    private static OnnxProto Features => Value(ModelInterface.OnnxInput, FloatType, null, K);

    private static OnnxProto Probability(params long?[] dims) => Value(ModelInterface.OnnxProbability, FloatType, dims);

    /// <summary>A logistic regression: probability = Sigmoid(features · W + b), [N, 1].</summary>
    public static byte[] Logistic() => Model(LogisticGraph(ModelInterface.OnnxProbability, [])).ToArray();

    /// <summary>Answers 10 × the logistic probability: between 0 and 10, so it breaks contract v1.0.</summary>
    public static byte[] TenTimesTooSure() => Model(LogisticGraph("p", [
        Node("Mul", ["p", "ten"], [ModelInterface.OnnxProbability]),
    ], Tensor("ten", [], [10f]))).ToArray();

    /// <summary>Reshapes the batch to 7 columns: 64 rows × 13 features do not divide, so ONNX Runtime throws while scoring.</summary>
    public static byte[] ThrowsWhileScoring() => Model(Graph("reshape-fails",
        [Node("Reshape", [ModelInterface.OnnxInput, "shape"], ["wide"]), Node("ReduceMean", ["wide"], [ModelInterface.OnnxProbability])],
        [Features], [Probability((long?)null)], [Tensor("shape", [2], [-1L, 7L])])).ToArray();

    /// <summary>A Loop of 10^15 empty iterations before answering: never finishes.</summary>
    public static byte[] NeverFinishes()
    {
        var body = Graph("spin",
            [Node("Identity", ["cond_in"], ["cond_out"]), Node("Identity", ["carry_in"], ["carry_out"])],
            [Value("i", Int64Type), Value("cond_in", BoolType), Value("carry_in", FloatType, 1)],
            [Value("cond_out", BoolType), Value("carry_out", FloatType, 1)]);
        return Model(LogisticGraph("p", [
            Node("Loop", ["trips", "keep_going", "zero"], ["carried"], GraphAttribute("body", body)),
            Node("Add", ["p", "carried"], [ModelInterface.OnnxProbability]),
        ], Tensor("trips", [], [1_000_000_000_000_000L]), Tensor("keep_going", [], BoolType, [1]), Tensor("zero", [1], [0f]))).ToArray();
    }

    /// <summary>A sound model whose input is called <c>x</c>: the Lab feeds <c>features</c>.</summary>
    public static byte[] WrongInputName() => Model(Graph("wrong-input",
        [Node("ReduceMean", ["x"], [ModelInterface.OnnxProbability])], [Value("x", FloatType, null, K)], [Probability((long?)null)])).ToArray();

    /// <summary>Asks for a 16 GiB tensor of zeros before answering: more than the sandbox's address-space limit.</summary>
    public static byte[] EatsMemory() => Model(LogisticGraph("p", [
        Node("ConstantOfShape", ["huge"], ["zeros"]),
        Node("ReduceMean", ["zeros"], ["nothing"]),
        Node("Add", ["p", "nothing"], [ModelInterface.OnnxProbability]),
    ], Tensor("huge", [2], [4096L, 1024L * 1024L]))).ToArray();

    /// <summary>Sigmoid(features · W + b) into <paramref name="output"/>, then <paramref name="more"/> nodes to the graph's probability.</summary>
    private static OnnxProto LogisticGraph(string output, OnnxProto[] more, params OnnxProto[] moreInitializers)
    {
        var weights = Enumerable.Range(0, K).Select(i => (i % 3 - 1) * 0.4f).ToArray();
        OnnxProto[] nodes = [Node("MatMul", [ModelInterface.OnnxInput, "W"], ["score"]), Node("Add", ["score", "b"], ["logit"]), Node("Sigmoid", ["logit"], [output]), .. more];
        return Graph("logistic", nodes, [Features], [Probability(null, 1)], [Tensor("W", [K, 1], weights), Tensor("b", [1], [-1.5f]), .. moreInitializers]);
    }
}
