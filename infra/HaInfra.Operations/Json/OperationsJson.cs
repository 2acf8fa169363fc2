using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Load;
using HaInfra.Operations.Local;

namespace HaInfra.Operations.Json;

/// <summary>
/// Compile-time JSON metadata for every document the operations read or write (System.Text.Json source generation):
/// the native CLI has no reflection-based serializer. Each document keeps its own options (naming, indentation);
/// <see cref="For"/> attaches this metadata to them.
/// </summary>
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(LocalState))]
[JsonSerializable(typeof(LocalSchedule))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(TermState))]
[JsonSerializable(typeof(WriteReport))]
internal sealed partial class OperationsJson : JsonSerializerContext
{
    /// <summary>Options for one kind of document, resolved from this context's metadata.</summary>
    public static JsonSerializerOptions For(JsonSerializerOptions options)
    {
        options.TypeInfoResolver = Default;
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
