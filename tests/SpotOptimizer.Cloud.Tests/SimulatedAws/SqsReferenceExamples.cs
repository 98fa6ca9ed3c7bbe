namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The SQS reference answers (AWS JSON 1.0, <c>X-Amz-Target: AmazonSQS.*</c>) the simulator's queue is held to.
/// <para>
/// Where they are from: the API reference pages print their examples below the part of each page the search index
/// keeps, so they could not be read here. ReceiveMessage and DeleteMessageBatch are the examples AWS publishes for
/// those operations in the AWS CLI Command Reference (cited above each), their output as printed: SQS's JSON members
/// are the CLI's, by the same names. The error is the example of the SQS Developer Guide's page on JSON responses.
/// </para>
/// </summary>
public static class SqsReferenceExamples
{
    // https://docs.aws.amazon.com/cli/latest/reference/sqs/receive-message.html (To receive a message, the second
    // example: only the SenderId and SentTimestamp attributes and the PostalCode message attribute).
    public const string ReceiveMessage = """
        {
          "Messages": [
            {
              "Body": "My first message.",
              "ReceiptHandle": "AQEB6nR4...HzlvZQ==",
              "MD5OfBody": "1000f835...a35411fa",
              "MD5OfMessageAttributes": "b8e89563...e088e74f",
              "MessageId": "d6790f8d-d575-4f01-bc51-40122EXAMPLE",
              "Attributes": {
                "SenderId": "AIDAIAZKMSNQ7TEXAMPLE",
                "SentTimestamp": "1442428276921"
              },
              "MessageAttributes": {
                "PostalCode": {
                  "DataType": "String",
                  "StringValue": "ABC123"
                }
              }
            }
          ]
        }
        """;

    // https://docs.aws.amazon.com/cli/latest/reference/sqs/delete-message-batch.html (To delete multiple messages as a
    // batch). Its batch has no failure; "Failed", which the model (botocore data/sqs/2012-11-05/service-2.json) makes a
    // required member of every DeleteMessageBatch result, is added as one BatchResultErrorEntry (Id, SenderFault,
    // Code, Message) with made-up values.
    public const string DeleteMessageBatch = """
        {
          "Successful": [
            {
              "Id": "FirstMessage"
            },
            {
              "Id": "SecondMessage"
            }
          ],
          "Failed": [
            {
              "Id": "ThirdMessage",
              "SenderFault": true,
              "Code": "ReceiptHandleIsInvalid",
              "Message": "The input receipt handle is invalid."
            }
          ]
        }
        """;

    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html (JSON
    // error response structure): 400, the query-compatible code and fault in x-amzn-query-error, the request ID in
    // x-amzn-RequestId, the body's "__type" and "message".
    public const string QueryError = "AWS.SimpleQueueService.NonExistentQueue;Sender";

    public const string Error = """
        {
          "__type": "com.amazonaws.sqs#QueueDoesNotExist",
          "message": "The specified queue does not exist."
        }
        """;
}
