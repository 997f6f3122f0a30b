// Replaced by the Lambda runtime host (issue 5).
return 0;
