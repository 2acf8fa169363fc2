using System.Text.Json.Serialization;

namespace HaInfra.Model.Config;

/// <summary>Compile-time JSON metadata for what the model reads as typed JSON (the native CLI has no reflection-based serializer).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ModelJson : JsonSerializerContext;
