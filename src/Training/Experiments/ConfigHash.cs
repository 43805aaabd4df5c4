using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

/// <summary>SHA-256 (hex) of a cell's resolved configuration as the toolkit serializes it, so a committed report
/// can be checked against what its preset resolves to today. The model block is hashed in its old flat layout
/// (<see cref="LegacyModelLayout.Flatten"/>), so splitting it per model kind changed no run's hash.</summary>
public static class ConfigHash
{
    public static string Of(RunConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            LegacyModelLayout.Flatten(JsonNode.Parse(RunConfigJson.Serialize(config))!.AsObject()).ToJsonString(RunConfigJson.Options))));
}
