using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis;

/// <summary>A cloud's program builder: topology in, resource graph out. Azure slots in here as a second implementation.</summary>
public interface ISynthesizer
{
    CloudKind Cloud { get; }

    /// <summary>Stack settings this cloud program cannot realize yet, each as "path = value: problem. Fix: …".</summary>
    IReadOnlyList<string> Unsupported(Topology topology);

    ResourceGraph Synthesize(Topology topology);
}
