using System.Security.Cryptography;
using System.Text;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

/// <summary>SHA-256 (hex) of a cell's resolved configuration as the toolkit serializes it, so a committed report
/// can be checked against what its preset resolves to today.</summary>
public static class ConfigHash
{
    public static string Of(RunConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RunConfigJson.Serialize(config))));
}
