import { errorResponse } from '@/lib/route-handler';

// Unknown API paths answer in the API's error shape rather than with the HTML 404 page.
const notFound = async () => errorResponse('not_found');

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
