namespace TrainKit.Training.Data.Text;

/// <summary>Text ↔ dense token ids 0..VocabSize-1 (the range a model's embedding table covers).</summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    int[] Encode(string text);
    string Decode(IEnumerable<int> ids);
}
